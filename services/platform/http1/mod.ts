/**
 * The one HTTP/1.1 client for every hop to a model server or an upstream:
 * connect (plain or TLS) within a time limit, a request written in one piece
 * or streamed, an answer head read with a size cap and a time limit, the
 * body handed on as it arrives with its framing removed, an optional pool of
 * kept-alive connections, one set of errors for what can go wrong, and the
 * one helper that says why a connection failed.
 *
 * @example
 * ```ts
 * import { ConnectError, request } from "./services/platform/http1/mod.ts";
 * const answer = await request({ url: "http://127.0.0.1:10240/v1/chat/completions", body, signal });
 * for await (const chunk of answer.body) write(chunk);
 * ```
 *
 * @module
 */
export {
  Http1Client,
  type Http1ClientOptions,
  type Http1Request,
  MAX_HEAD_BYTES,
  request,
} from "./client.ts";
export { Http1Answer, nextReadBuffer, READ_SIZES } from "./answer.ts";
export {
  ClosedError,
  type ClosedStage,
  ConnectError,
  HeadersTimeoutError,
  HeadTooLargeError,
  Http1Error,
  MalformedAnswerError,
} from "./errors.ts";
export { connectionReason } from "./reason.ts";
export { connect, type ConnectOptions } from "./connect.ts";
