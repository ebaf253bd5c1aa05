/**
 * Browser entry: hydrates the islands on the page.
 *
 * @module
 */
import { boot } from "./lib/islands/client.ts";

boot().catch((error) => {
  // deno-lint-ignore no-console
  console.error("Cannot start the page's islands:", error);
});
