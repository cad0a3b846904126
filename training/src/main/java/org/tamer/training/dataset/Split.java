package org.tamer.training.dataset;

/** The part of a dataset an example belongs to; assigned per patient, never per record. */
public enum Split { TRAIN, VALIDATION, TEST }
