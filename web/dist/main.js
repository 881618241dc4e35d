// The page's entry point: the player's code is the bundle (securemedia.js,
// built from web/src); this file only starts it, so that the page runs no
// inline script (Content-Security-Policy: script-src 'self').
import { startPage } from './securemedia.js';

startPage(document);
