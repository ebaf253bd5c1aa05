/**
 * Follows a growing transcript to its end, unless the reader scrolled up.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

/** How close to the end, in pixels, still counts as reading the end. */
const NEAR_END = 48;

/**
 * Scrolls the element of `ref` to its end each time `content` changes, while
 * the reader is following.
 *
 * @example
 * ```tsx
 * const scroll = useFollowScroll(messages);
 * <div ref={scroll.ref} onScroll={scroll.onScroll}>…</div>
 * {!scroll.following.value && <button onClick={scroll.jump}>Jump to the latest</button>}
 * ```
 */
export function useFollowScroll(content: unknown) {
  const ref = useRef<HTMLDivElement>(null);
  const following = useSignal(true);
  /** Where the element was scrolled to when it last followed. */
  const autoTop = useRef(0);

  useEffect(() => {
    const el = ref.current;
    if (!el || !following.value) return;
    // The reader may have scrolled up since our last scroll, before the scroll event said so.
    if (el.scrollTop < autoTop.current - 4) {
      following.value = false;
      return;
    }
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  }, [content]);

  return {
    ref,
    following,
    /** A new content starts from its top: forget where the last one was scrolled to. */
    rewind() {
      autoTop.current = 0;
    },
    /** Follows again from the next change on. */
    follow() {
      following.value = true;
      autoTop.current = 0;
    },
    /** Follows again, now. */
    jump() {
      following.value = true;
      autoTop.current = 0;
      if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
    },
    onScroll(event: Event) {
      const el = event.currentTarget as HTMLElement;
      following.value = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END;
    },
  };
}
