/**
 * Pose tracks: body keypoints over time, as the {@code pose-animate} effect takes them and {@code kinora pose extract}
 * writes them. Every supported format (OpenPose BODY_25 and COCO-18, COCO-17 keypoint files, BVH motion capture, Kinora's
 * own track files, keypoints found in a video by MoveNet) is read into one shape, {@link PoseTrack}, on the COCO-17
 * skeleton ({@link Joint}). Implemented by the pose-animate bundle ({@link PoseTracks}).
 */
@Export
@Version("1.0.0")
package org.kinora.core.pose;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
