/**
 * TAMER's losses: RLCA, UECR, RADA and RGWR ({@link org.tamer.training.loss.TamerObjective}) built on the
 * symmetric and token-weighted InfoNCE of Eqs. 1 and 4 ({@link org.tamer.training.loss.Contrastive}).
 */
package org.tamer.training.loss;
