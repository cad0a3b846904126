/** The original CPSC2018 (China Physiological Signal Challenge 2018) layout: MAT-file structs and REFERENCE.csv. */
package org.tamer.routes.adapters.cpsc;
