/**
 * The chat service behind `POST /api/chat/completions`: checks the request,
 * takes a lease on the profile's server for the turn (as a `/v1` request
 * does, starting it when it is stopped), streams rounds from it over one
 * kept-alive HTTP client, runs the offered tools between rounds (up to a
 * configured number of rounds), says so when the model asks for tools it does
 * not run, and saves every turn — partial answers of stopped or failed rounds too.
 *
 * @module
 */
import { Http1Client } from "../platform/http1/mod.ts";
import type { Logger } from "../../lib/logger.ts";
import { AppError } from "../../lib/errors.ts";
import type { ChatEvent, MessageMetrics } from "../../lib/chat/types.ts";
import type { ChatTarget, ChatTargets, Lease } from "./targets.ts";
import type { Conversations } from "./conversations.ts";
import { titleFrom } from "./conversations.ts";
import type { ChatRequest } from "./schemas.ts";
import { toUpstreamMessages, type UpstreamMessage, upstreamOptions } from "./messages.ts";
import { applyChatDefaults } from "./profile_defaults.ts";
import { type RoundOutcome, streamRound } from "./upstream.ts";
import type { ToolCatalog, ToolRunner } from "./tools/runner.ts";
import { chatActivityRow, type ChatActivitySink, type ChatRoundEnd } from "./activity.ts";
import { admitTurn } from "./admit.ts";
import { callsNotRun } from "./tool_calls.ts";

/** What the chat service needs. */
export interface ChatServiceOptions {
  targets: ChatTargets;
  conversations: Conversations;
  logger: Logger;
  /** Tool rounds per turn (`MLX_MANAGER_CHAT_MAX_TOOL_ROUNDS`). */
  maxToolRounds: number;
  /** Milliseconds a model server may stay silent (`MLX_MANAGER_CHAT_TIMEOUT`). */
  idleTimeoutMs: number;
  /** Offers and runs the tools: built-in ones and those of MCP servers. */
  tools: ToolRunner;
  /** Records each request to a model server in the activity log (endpoint `chat`). */
  activity?: ChatActivitySink;
}

/** A request that passed the checks made before the stream starts. */
export interface PreparedTurn {
  userId: number;
  request: ChatRequest;
  target: ChatTarget;
  /** The MCP tools offered this turn. */
  catalog: ToolCatalog;
}

/** Receives each event; returns false once the client has gone. */
export type EventSink = (event: ChatEvent) => boolean | void;

/** Appends a message to the turn's conversation (nothing when the turn is not saved). */
type SaveMessage = (message: Parameters<Conversations["append"]>[2]) => void;

/** Timings and token counts of a finished round. */
export function roundMetrics(outcome: RoundOutcome): MessageMetrics {
  const { state, startedAt, endedAt } = outcome;
  const reported = state.usage?.completion_tokens ?? null;
  const completion = reported ?? (state.tokenChunks || null);
  const span = state.firstTokenAt !== null && state.lastTokenAt !== null
    ? (state.lastTokenAt - state.firstTokenAt) / 1000
    : 0;
  const metrics: MessageMetrics = {
    ttft_ms: state.firstTokenAt === null ? null : Math.round(state.firstTokenAt - startedAt),
    tokens_per_second: completion !== null && completion > 1 && span > 0
      ? Math.round(((completion - 1) / span) * 10) / 10
      : null,
    prompt_tokens: state.usage?.prompt_tokens ?? null,
    completion_tokens: completion,
    total_tokens: state.usage?.total_tokens ??
      (state.usage?.prompt_tokens != null && completion !== null
        ? state.usage.prompt_tokens + completion
        : null),
    duration_ms: Math.round(endedAt - startedAt),
  };
  if (reported === null && completion !== null) metrics.estimated = true;
  if (outcome.aborted) metrics.stopped = true;
  return metrics;
}

/**
 * The chat service.
 *
 * @example
 * ```ts
 * const chat = new ChatService({ targets, conversations, logger, maxToolRounds: 5, idleTimeoutMs: 300_000, tools });
 * const turn = chat.prepare(user.id, request);           // not_found happens here
 * await chat.run(turn, (event) => sse.send({ data: event }), sse.signal);
 * chat.close();
 * ```
 */
export class ChatService {
  /**
   * One client with kept-alive connections, so rounds to the same server
   * reuse them; it holds nothing until the first round.
   */
  #client = new Http1Client({ keepAlive: true });
  readonly #options: ChatServiceOptions;
  /** The turn in progress per conversation: the next one waits until it has been saved. */
  readonly #busy = new Map<number, Promise<void>>();

  constructor(options: ChatServiceOptions) {
    this.#options = options;
  }

  /** Checks the profile and the conversation before streaming; throws `not_found` for either. */
  prepare(userId: number, request: ChatRequest): PreparedTurn {
    const target = this.#options.targets.get(request.profile_id);
    if (!target) throw new AppError("not_found", "Profile not found");
    if (request.conversation_id) this.#options.conversations.assertOwned(userId, request.conversation_id);
    const reserved = (request.tools ?? []).map((t) => String((t.function as { name?: unknown })?.name ?? ""));
    const catalog = this.#options.tools.catalog(request.mcp_servers ?? [], reserved);
    return { userId, request, target, catalog };
  }

  /** Runs a turn to its end, sending events as they come. Never throws. */
  async run(turn: PreparedTurn, sink: EventSink, signal: AbortSignal): Promise<void> {
    const key = turn.request.conversation_id;
    if (!key) return await this.#run(turn, sink, signal).catch((error) => this.#crash(error, sink));
    const previous = this.#busy.get(key);
    const current = (previous
      ? previous.then(() => {
        // The server's state may have changed while this turn waited: look it up again.
        const fresh = this.#options.targets.get(turn.request.profile_id);
        return this.#run(fresh ? { ...turn, target: fresh } : turn, sink, signal);
      })
      : this.#run(turn, sink, signal)).catch((error) => this.#crash(error, sink));
    this.#busy.set(key, current);
    await current;
    if (this.#busy.get(key) === current) this.#busy.delete(key);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#client.close();
    this.#client = new Http1Client({ keepAlive: true });
  }

  #crash(error: unknown, sink: EventSink): void {
    this.#options.logger.error("Chat turn failed", { error: (error as Error).stack ?? String(error) });
    sink({ type: "error", content: `The chat failed unexpectedly: ${(error as Error).message}` });
  }

  // A failure to record must not fail the chat.
  #record(
    userId: number,
    target: ChatTarget,
    metrics: MessageMetrics | null,
    end: ChatRoundEnd,
    lease?: Lease,
  ): void {
    const at = new Date(Date.now() - (metrics?.duration_ms ?? 0));
    try {
      this.#options.activity?.record(chatActivityRow({ userId, target, metrics, end, at, lease }));
    } catch (error) {
      this.#options.logger.error("Cannot record a chat request", { error: String(error) });
    }
  }

  async #run(turn: PreparedTurn, sink: EventSink, signal: AbortSignal): Promise<void> {
    const { request, userId, target } = turn;
    const conversationId = this.#saveHistory(userId, request, target, sink);
    const save: SaveMessage = (message) => {
      if (conversationId !== null) this.#options.conversations.append(userId, conversationId, message);
    };
    let lease: Lease;
    try {
      lease = await admitTurn(this.#options.targets, target, sink, signal);
    } catch (error) {
      if (signal.aborted) return this.#record(userId, target, null, { kind: "aborted" });
      this.#record(userId, target, null, { kind: "refused", error });
      const content = error instanceof AppError
        ? error.message
        : `Cannot reach ${target.name}: ${(error as Error).message}`;
      save({
        role: "assistant",
        content: "",
        error: content,
        profile_id: target.profileId,
        model: target.modelId,
      });
      sink({ type: "error", content });
      return;
    }
    // One lease for every round of the turn, tool rounds included: released when the turn ends.
    try {
      await this.#rounds(turn, lease, save, sink, signal);
    } finally {
      lease.release();
    }
  }

  async #rounds(
    turn: PreparedTurn,
    lease: Lease,
    save: SaveMessage,
    sink: EventSink,
    signal: AbortSignal,
  ): Promise<void> {
    const { request, userId, target } = turn;
    const messages: UpstreamMessage[] = toUpstreamMessages(
      request.messages,
      target.modelType === "multimodal",
    );
    const options = upstreamOptions(request);
    // What the conversation leaves unset comes from the profile.
    applyChatDefaults(messages, options, target);
    if (turn.catalog.definitions.length) {
      options.tools = [...(request.tools ?? []), ...turn.catalog.definitions];
      options.tool_choice = request.tool_choice ?? "auto";
    }
    const { maxToolRounds } = this.#options;

    for (let round = 0;; round++) {
      const outcome = await streamRound({
        baseUrl: lease.baseUrl,
        // The server answers to the name it was started under (1.7+), else to its model path.
        body: { model: lease.servedModel ?? target.modelId, messages, ...options },
        client: this.#client,
        idleTimeoutMs: this.#options.idleTimeoutMs,
        signal,
        onEvents: (events) => events.forEach((e) => sink(e)),
      });
      const { state } = outcome;
      const metrics = roundMetrics(outcome);
      this.#record(userId, target, metrics, {
        kind: outcome.aborted ? "aborted" : outcome.error ? "error" : "ok",
      }, round === 0 ? lease : undefined);
      const calls = state.toolCalls;
      const produced = state.content || state.reasoning || calls.length;
      if (produced || outcome.error) {
        save({
          role: "assistant",
          content: state.content,
          reasoning: state.reasoning || null,
          reasoning_duration: state.reasoningDuration,
          tool_calls: calls.length ? calls : null,
          metrics,
          error: outcome.error,
          profile_id: target.profileId,
          model: target.modelId,
        });
      }
      if (outcome.aborted) return;
      sink({ type: "metrics", metrics, profile_id: target.profileId, model: target.modelId });
      if (outcome.error) {
        this.#options.logger.info("Chat round failed", { profile: target.profileId, error: outcome.error });
        sink({ type: "error", content: outcome.error });
        return;
      }
      if (!calls.length) break;
      const notRun = callsNotRun(calls, {
        runTools: request.run_tools === true,
        requestTools: request.tools ?? [],
        catalog: turn.catalog,
      });
      if (notRun) {
        sink({ type: "tool_calls_not_run", ...notRun });
        break;
      }
      if (round >= maxToolRounds) {
        sink({ type: "tool_limit", rounds: maxToolRounds });
        break;
      }
      messages.push({ role: "assistant", content: state.content, tool_calls: calls });
      for (const call of calls) {
        if (signal.aborted) return;
        const run = await this.#options.tools.run(call, { catalog: turn.catalog, userId, sink, signal });
        const { content } = run;
        const name = call.function.name;
        sink({
          type: "tool_result",
          tool_call_id: call.id,
          name,
          content,
          ...(run.server ? { server: run.server } : {}),
          ...(run.isError ? { is_error: true } : {}),
          ...(run.truncated ? { truncated: true } : {}),
        });
        messages.push({ role: "tool", tool_call_id: call.id, name, content });
        save({ role: "tool", content, tool_call_id: call.id, name });
      }
      if (signal.aborted) return;
    }
    sink({ type: "done" });
  }

  /** Creates or syncs the conversation when the request asks to save; returns its id. */
  #saveHistory(userId: number, request: ChatRequest, target: ChatTarget, sink: EventSink): number | null {
    const { conversations } = this.#options;
    if (!request.conversation_id && !request.save) return null;
    const system = request.messages.find((m) => m.role === "system" || m.role === "developer");
    const systemPrompt = system ? (typeof system.content === "string" ? system.content : null) : null;
    let id = request.conversation_id ?? null;
    if (id === null) {
      const firstUser = request.messages.find((m) => m.role === "user");
      const title = titleFrom(typeof firstUser?.content === "string" ? firstUser.content : "");
      id = conversations.create(userId, { title }).id;
      sink({ type: "conversation", id, title });
    }
    conversations.syncHistory(userId, id, request.messages, {
      systemPrompt,
      profileId: target.profileId,
      profileName: target.name,
      model: target.modelId,
    });
    return id;
  }
}
