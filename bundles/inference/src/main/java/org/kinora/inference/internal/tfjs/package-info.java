/**
 * TF.js graph models run on DJL: a reader for {@code model.json} + weight shards ({@link
 * org.kinora.inference.internal.tfjs.TfjsModelFile}), an interpreter of the GraphDef on DJL NDArray ops ({@link
 * org.kinora.inference.internal.tfjs.TfjsGraph}, packaged as a DJL block by {@link
 * org.kinora.inference.internal.tfjs.TfjsBlock}), and the DJL translators for the store's pose and segmentation models.
 */
package org.kinora.inference.internal.tfjs;
