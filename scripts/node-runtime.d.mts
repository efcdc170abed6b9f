// Types of node-runtime.mjs, for the bench (TypeScript) that reads where it keeps its Node.
export declare const NODE_RUNTIME_VERSION: string
/** the path of the pinned Node's executable, fetched on first use */
export declare function nodeRuntime(): string
