/**
 * MATLAB MAT-files (levels 4 and 5), as far as ECG archives use them: real numeric matrices, one-row character
 * arrays and 1 × 1 structures (CPSC2018), read within {@link org.tamer.routes.adapters.mat.MatLimits}.
 */
package org.tamer.routes.adapters.mat;
