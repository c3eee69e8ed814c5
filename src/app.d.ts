import type { Identity } from '$lib/server/auth';

// Types shared by the console's server and pages.
declare global {
  namespace App {
    interface Locals {
      /** Who is calling; undefined for anonymous requests (which only reach public routes). */
      identity?: Identity;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
