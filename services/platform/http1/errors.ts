/**
 * The ways a request to a model server or an upstream can fail on the wire,
 * one class per stage, so that a caller branches on what happened (was
 * anything sent? did the server begin to answer?) rather than on a message.
 *
 * @module
 */

/** Any failure of the HTTP/1.1 client. */
export class Http1Error extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "Http1Error";
  }
}

/**
 * The connection could not be opened, or its TLS handshake failed: nothing of
 * the request was sent, so another server may be tried with it.
 */
export class ConnectError extends Http1Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConnectError";
  }
}

/** The server accepted the request but sent no answer head in time; the connection was closed. */
export class HeadersTimeoutError extends Http1Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
    this.name = "HeadersTimeoutError";
  }
}

/** The answer's head is larger than the client reads; the connection was closed after that many bytes. */
export class HeadTooLargeError extends Http1Error {
  constructor(readonly limitBytes: number) {
    super(`the answer's head is larger than ${Math.round(limitBytes / 1024)} KiB`);
    this.name = "HeadTooLargeError";
  }
}

/** Where in the exchange the connection ended. */
export type ClosedStage = "before_answer" | "mid_answer";

/**
 * The connection ended (closed or reset by the server) before the answer
 * did: before its head, or in the middle of its body.
 */
export class ClosedError extends Http1Error {
  constructor(readonly stage: ClosedStage, options?: { cause?: unknown }) {
    super(
      stage === "before_answer"
        ? "The server closed the connection before answering"
        : "The connection closed in the middle of the answer",
      options,
    );
    this.name = "ClosedError";
  }
}

/** The server's bytes are not an HTTP/1.x answer: a bad status line, or broken chunk framing. */
export class MalformedAnswerError extends Http1Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedAnswerError";
  }
}
