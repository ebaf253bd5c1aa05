/**
 * Server side of the islands layer: marks registered islands during a
 * synchronous render and writes one props payload per page.
 *
 * Islands are found by the identity of their component function. During
 * {@link renderIslands}, Preact's `options.vnode` hook swaps each island vnode
 * for {@link IslandRoot}, which renders `<x-island data-island data-props>`
 * around the real component. The render state is a module global, which is
 * correct only because `renderToString` is synchronous.
 *
 * @module
 */
import { type ComponentType, createContext, h, options, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";
import { encodeProps, scriptJson, SignalTable } from "./encode.ts";
import { type IslandPayload, PAYLOAD_ID } from "./payload.ts";

/** URLs of the client entry and of each island's module. */
export interface IslandAssets {
  /** URL of the boot script. */
  client: string;
  /** URL of each island's module by island name. */
  islands: Record<string, string>;
}

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

declare module "preact" {
  namespace JSX {
    interface IntrinsicElements {
      "x-island": HTMLAttributes<HTMLElement> & {
        "data-island": string;
        "data-props": string;
      };
    }
  }
}

const registry = new Map<AnyComponent, string>();

interface RenderState {
  props: Record<string, unknown>[];
  signals: SignalTable;
  used: Set<string>;
}

let state: RenderState | null = null;
// Set while IslandRoot creates the island's own vnode, so the hook does not wrap it again.
let bypass = false;
const InIsland = createContext(false);

/**
 * Registers every export of an islands barrel under its export name.
 *
 * @example
 * ```ts
 * import * as islands from "../../islands/mod.ts";
 * registerIslands(islands);
 * ```
 */
export function registerIslands(modules: Record<string, unknown>): void {
  for (const [name, component] of Object.entries(modules)) {
    if (typeof component !== "function") {
      throw new TypeError(
        `Cannot register island "${name}": it is not a component`,
      );
    }
    registry.set(component as AnyComponent, name);
  }
}

interface RootProps {
  name: string;
  component: AnyComponent;
  props: Record<string, unknown>;
}

function IslandRoot({ name, component, props }: RootProps) {
  const nested = useContext(InIsland);
  bypass = true;
  const inner = h(component, props);
  bypass = false;
  if (nested || state === null) return inner;
  const { children: _children, ...data } = props;
  if (_children !== undefined) {
    throw new TypeError(
      `Cannot serialize prop "children" of island "${name}": JSX elements are not serializable`,
    );
  }
  const index = state.props.push(encodeProps(name, data, state.signals)) - 1;
  state.used.add(name);
  return (
    <x-island data-island={name} data-props={String(index)}>
      <InIsland.Provider value>{inner}</InIsland.Provider>
    </x-island>
  );
}

const previousVnode = options.vnode;
options.vnode = (vnode) => {
  if (!bypass && typeof vnode.type === "function") {
    const name = registry.get(vnode.type as AnyComponent);
    if (name !== undefined) {
      const props = vnode.props as Record<string, unknown>;
      const root = vnode as unknown as { type: unknown; props: RootProps };
      root.props = { name, component: vnode.type as AnyComponent, props };
      root.type = IslandRoot;
    }
  }
  previousVnode?.(vnode);
};

/** What a finished page render produced. */
export interface RenderResult {
  /** The HTML of the rendered tree. */
  html: string;
  /** The names of the islands on the page, in first-use order. */
  islands: string[];
}

/**
 * Renders a tree to HTML, marking islands. The tree's {@link IslandScripts},
 * the last child of `<body>`, writes the payload of the islands rendered
 * before it.
 */
// deno-lint-ignore no-explicit-any
export function renderIslands(node: VNode<any>): RenderResult {
  if (state !== null) {
    throw new Error("Cannot render a page inside another page render");
  }
  state = { props: [], signals: new SignalTable(), used: new Set() };
  try {
    const html = renderToString(node);
    return { html, islands: [...state.used] };
  } finally {
    state = null;
  }
}

/** Props of {@link IslandScripts}. */
export interface IslandScriptsProps {
  assets: IslandAssets;
}

/**
 * Writes the props payload, one modulepreload per used island and the external
 * boot script. Must be the last child of `<body>`; writes nothing when the page
 * has no islands.
 */
export function IslandScripts({ assets }: IslandScriptsProps) {
  if (state === null || state.used.size === 0) return null;
  const modules: Record<string, string> = {};
  for (const name of state.used) {
    const url = assets.islands[name];
    if (!url) {
      throw new Error(
        `Cannot find the bundle of island "${name}": run the build`,
      );
    }
    modules[name] = url;
  }
  const payload: IslandPayload = {
    props: state.props,
    signals: state.signals.values,
    modules,
  };
  return (
    <div hidden id="__island-scripts">
      {Object.values(modules).map((href) => <link key={href} rel="modulepreload" href={href} />)}
      <script
        type="application/json"
        id={PAYLOAD_ID}
        // The payload is JSON with every "<" escaped, so it cannot end the script element.
        // deno-lint-ignore react-no-danger
        dangerouslySetInnerHTML={{ __html: scriptJson(payload) }}
      />
      <script type="module" src={assets.client} />
    </div>
  );
}
