/** The PhysioNet/CinC Challenge 2020/2021 and CPSC2018 layout: WFDB headers over MAT-file signals. */
package org.tamer.routes.adapters.challenge;
