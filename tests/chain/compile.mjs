// Compiles the test chain's contracts with solc-js (standard JSON) and prints
// {compiler, artifacts: {Name: {abi, bytecode, deployedBytecode, methodIdentifiers}}}.
// Usage: node compile.mjs <node_modules> <out.json> <file.sol>...
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [nodeModules, out, ...files] = process.argv.slice(2);
const require = createRequire(path.resolve(nodeModules) + "/");
const solc = require("solc");
const sources = Object.fromEntries(
  files.map((f) => [path.basename(f), { content: fs.readFileSync(f, "utf8") }]),
);
const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "evm.methodIdentifiers"] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
const artifacts = {};
for (const file of Object.values(output.contracts)) {
  for (const [name, c] of Object.entries(file)) {
    artifacts[name] = {
      abi: c.abi,
      bytecode: "0x" + c.evm.bytecode.object,
      deployedBytecode: "0x" + c.evm.deployedBytecode.object,
      methodIdentifiers: c.evm.methodIdentifiers,
    };
  }
}
fs.writeFileSync(out, JSON.stringify({ compiler: solc.version(), artifacts }));
