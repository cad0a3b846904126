/** Philips SierraECG / PhilipsECG XML with XLI-compressed waveforms. */
package org.tamer.routes.adapters.sierra;
