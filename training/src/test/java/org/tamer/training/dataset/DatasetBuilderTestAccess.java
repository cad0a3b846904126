package org.tamer.training.dataset;

/** Lets tests of other packages use the PTB-XL subset source of {@link DatasetBuilderTest}. */
public final class DatasetBuilderTestAccess {

    private DatasetBuilderTestAccess() {
    }

    public static TrainingSource firstRecords(int n) {
        return DatasetBuilderTest.firstRecords(n);
    }
}
