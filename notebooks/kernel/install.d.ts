// Types of install.js (plain JavaScript: it runs before anything is compiled).
export declare const KERNEL_NAME: string;
export declare const DISPLAY_NAME: string;
export declare const V8_FLAGS: string[];
export declare function kernelSpec(): {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: string;
};
export declare function writeKernelSpec(dir: string): string;
export declare function install(jupyter?: string, o?: { replace?: boolean }): string;
/** The course folder of another existing copy whose kernel `argv` runs; undefined when it is this copy's, gone, or none. */
export declare function otherCopy(argv: unknown[] | undefined, exists?: (p: string) => boolean): string | undefined;
