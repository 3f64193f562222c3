package org.kinora.effect.pose.internal.rig;

/** A 2D affine map {@code x' = a x + b y + c, y' = d x + e y + f}. */
record Affine(double a, double b, double c, double d, double e, double f) {

    static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

    double x(double x, double y) {
        return a * x + b * y + c;
    }

    double y(double x, double y) {
        return d * x + e * y + f;
    }

    /**
     * The map that carries segment {@code p0 -> p1} onto {@code q0 -> q1}: turned by the angle between them, stretched by
     * {@code along} in the segment's direction and by {@code across} perpendicular to it, {@code p0} landing on {@code q0}.
     * The stretch along is the ratio of the lengths when {@code along} is NaN.
     */
    static Affine bone(double[] p0, double[] p1, double[] q0, double[] q1, double along, double across) {
        double px = p1[0] - p0[0];
        double py = p1[1] - p0[1];
        double qx = q1[0] - q0[0];
        double qy = q1[1] - q0[1];
        double lp = Math.hypot(px, py);
        double lq = Math.hypot(qx, qy);
        if (lp < 1e-9) {
            return new Affine(1, 0, q0[0] - p0[0], 0, 1, q0[1] - p0[1]);
        }
        double ux = px / lp;
        double uy = py / lp;
        double k = Double.isNaN(along) ? lq / lp : along;
        double ang = lq < 1e-9 ? 0 : Math.atan2(qy, qx) - Math.atan2(py, px);
        double cos = Math.cos(ang);
        double sin = Math.sin(ang);
        // in the rest bone's frame: S = k u u^T + across (I - u u^T); then rotate by ang
        double s00 = k * ux * ux + across * uy * uy;
        double s01 = (k - across) * ux * uy;
        double s11 = k * uy * uy + across * ux * ux;
        double a = cos * s00 - sin * s01;
        double b = cos * s01 - sin * s11;
        double d = sin * s00 + cos * s01;
        double e = sin * s01 + cos * s11;
        return new Affine(a, b, q0[0] - (a * p0[0] + b * p0[1]), d, e, q0[1] - (d * p0[0] + e * p0[1]));
    }
}
