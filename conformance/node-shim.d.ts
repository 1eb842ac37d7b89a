// The little of node's API the conformance driver uses, declared here so that
// the tests need no @types/node.
declare module "node:fs" {
  export function readFileSync(path: string, encoding: "utf8"): string;
}
declare const console: { log(...data: unknown[]): void };
declare const process: { exitCode: number | undefined };
