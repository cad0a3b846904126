package org.tamer.training.plot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TsneTest {

    @Test
    void keepsWellSeparatedClustersApart() {
        Random random = new Random(1);
        int perCluster = 30;
        double[][] x = new double[2 * perCluster][10];
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < 10; d++) {
                x[i][d] = random.nextGaussian() + (i < perCluster ? 0 : 8);
            }
        }
        double[][] y = new Tsne(10, 500, 3).embed(x);
        double within = 0;
        double between = 0;
        int w = 0;
        int b = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = i + 1; j < y.length; j++) {
                double d = Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                if ((i < perCluster) == (j < perCluster)) {
                    within += d;
                    w++;
                } else {
                    between += d;
                    b++;
                }
            }
        }
        assertTrue(between / b > within / w, "between " + between / b + " within " + within / w);
        // t-SNE keeps neighbourhoods: nearly every point's nearest neighbour in the map is from its own cluster
        int pure = 0;
        for (int i = 0; i < y.length; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.length; j++) {
                double d = Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                if (j != i && d < best) {
                    best = d;
                    nearest = j;
                }
            }
            pure += (i < perCluster) == (nearest < perCluster) ? 1 : 0;
        }
        assertTrue(pure >= 0.95 * y.length, pure + " of " + y.length + " nearest neighbours in the same cluster");
    }
}
