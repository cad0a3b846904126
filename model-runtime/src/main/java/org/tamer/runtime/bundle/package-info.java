/** Model bundles: the versioned folder format the training module publishes and the gateway loads. */
package org.tamer.runtime.bundle;
