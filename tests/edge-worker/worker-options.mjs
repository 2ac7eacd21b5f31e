// Miniflare's options for the Worker's built bundle, as wrangler would load it: shared by the end-to-end
// test (check.mjs) and the local runner (serve.mjs).
import { readFileSync } from "node:fs";
import path from "node:path";

/** `bundle`: edge/worker/build; `wranglerToml`: the file whose compatibility_date workerd runs with. */
export function workerOptions(bundle, wranglerToml) {
  const wrangler = readFileSync(wranglerToml, "utf8");
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(wrangler)?.[1];
  if (!compatibilityDate) throw new Error(`no compatibility_date in ${wranglerToml}`);
  return {
    modules: true,
    scriptPath: path.join(bundle, "worker", "shim.mjs"),
    modulesRoot: bundle,
    // worker-build's .js output is an ES module; the wasm is compiled by workerd.
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate,
  };
}
