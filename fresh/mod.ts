/**
 * RoleFerry's Fresh-style web layer on Deno.serve + preact: file-system routes, layouts, middleware, islands.
 * See README.md beside this file for the conventions.
 *
 * @module
 */
export { type AppOptions, createApp, type FreshApp } from "./app.ts";
export { buildIslands, type BuildManifest } from "./build.ts";
export type { ErrorContext, ErrorHandler, HttpErrorFactory } from "./errors.ts";
export type { FreshContext, Handler, Handlers, LayoutProps, Method, Middleware, PageProps } from "./types.ts";
