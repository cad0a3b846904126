/** Loading DJL's PyTorch engine offline and choosing its device ({@link org.tamer.runtime.engine.ComputeEngine}). */
package org.tamer.runtime.engine;
