/**
 * The PTB-XL archive: its metadata tables ({@link org.tamer.routes.adapters.ptbxl.PtbXlDatabase}) and its records
 * with reports and labels ({@link org.tamer.routes.adapters.ptbxl.PtbXlArchive}).
 */
package org.tamer.routes.adapters.ptbxl;
