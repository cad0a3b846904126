/** Test helpers for the training module: real PTB-XL pairs prepared as training prepares them. */
package org.tamer.training.testing;
