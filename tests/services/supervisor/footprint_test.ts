import assert from "node:assert/strict";
import { estimateFootprint } from "../../../services/supervisor/footprint.ts";

async function folder(root: string, name: string, bytes: number): Promise<string> {
  const dir = `${root}/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(`${dir}/model.safetensors`, new Uint8Array(bytes));
  return dir;
}

Deno.test("estimateFootprint() charges a draft model's weights beside the model's", async () => {
  const root = await Deno.makeTempDir();
  try {
    const main = await folder(root, "main", 4_000_000);
    const draft = await folder(root, "draft", 500_000);
    const alone = await estimateFootprint(main, `${root}/hub`);
    assert.ok(alone >= 4_000_000);
    assert.equal(await estimateFootprint(main, `${root}/hub`, draft), alone + 500_000);
    assert.equal(await estimateFootprint(main, `${root}/hub`, null), alone);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
