/** GE MUSE resting ECG XML. */
package org.tamer.routes.adapters.muse;
