/** lit-html as companion files see it: the bundle's own copy, so templates and directives are one kind (see core.ts). */
import { companionCore } from './core.js';

export type * from 'lit/html.js';
export const { html, svg, mathml, nothing, noChange, render, _$LH } = companionCore().litHtml;
