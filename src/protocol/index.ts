/**
 * The protocol shared by the server and the widget: limits, error codes, id rules, message and
 * frame types. Isomorphic: no DOM, no Node APIs, no imports from the rest of the project.
 */
export * from './limits.js';
export * from './errors.js';
export * from './ids.js';
export * from './messages.js';
export * from './wire-message.js';
export * from './media.js';
export { imageTypeOf, type SniffedImageType } from './image-type.js';
export * from './image-size.js';
export * from './changes.js';
export * from './attributes.js';
export * from './invitations.js';
export * from './frames.js';
export * from './rest.js';
export * from './rest-changes.js';
