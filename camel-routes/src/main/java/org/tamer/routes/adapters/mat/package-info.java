/** MATLAB MAT-files (levels 4 and 5), as far as ECG archives use them: real numeric matrices. */
package org.tamer.routes.adapters.mat;
