/**
 * Training: tri-modal datasets built with the ingestion adapters, the TAMER losses, pre-training, zero-shot
 * evaluation and the command-line tool. Empty until the training issue lands.
 */
package org.tamer.training;
