/**
 * Class labels for datasets built from archives without PTB-XL's tables: Challenge {@code #Dx} SNOMED CT codes and
 * CPSC2018 classes mapped to the classes of a prompt dictionary ({@link org.tamer.training.labels.SnomedClassMap}),
 * or a CSV label file ({@link org.tamer.training.labels.LabelFile}).
 */
package org.tamer.training.labels;
