// A CoreError the shim raises itself, as an Error: it carries the core's fields (kind, message,
// page), so the error funnel and the consent questions treat it exactly like one from the core,
// and it has a stack like any other thrown Error.

import type { CoreError } from "./core/types";

export class CoreFailure extends Error implements CoreError {
  readonly kind: string;
  readonly pageUrl?: string;
  readonly pageId?: string;

  constructor(error: CoreError) {
    super(error.message);
    this.name = "CoreFailure";
    this.kind = error.kind;
    if (error.pageUrl !== undefined) this.pageUrl = error.pageUrl;
    if (error.pageId !== undefined) this.pageId = error.pageId;
  }
}
