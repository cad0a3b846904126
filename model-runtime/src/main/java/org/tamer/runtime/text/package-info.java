/**
 * The frozen report encoder: a BERT-family encoder as a DJL block ({@link org.tamer.runtime.text.BertTextEncoderBlock})
 * loaded from the embedded all-MiniLM-L6-v2 ONNX model or a Hugging Face folder (Med-CPT), with its tokenizer
 * ({@link org.tamer.runtime.text.TextEncoder}).
 */
package org.tamer.runtime.text;
