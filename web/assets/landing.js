/* landing.js - the landing page (index.html): links to the four sign-in
 * pages, registration and the documentation; only the frame is dynamic. */

import { initPublicPage } from './layout.js';

initPublicPage();
