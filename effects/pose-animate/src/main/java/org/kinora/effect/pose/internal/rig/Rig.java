package org.kinora.effect.pose.internal.rig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;

/**
 * The character's rig: a triangle mesh over its silhouette (a regular grid of cells, two triangles per cell, kept
 * where the mask shows the character, plus one cell of margin for the soft edge) with linear-blend skinning weights
 * binding each vertex to the {@link Part parts}. Weights fall off with the <em>geodesic</em> distance to each part's bone
 * inside the silhouette (shortest paths through the mesh, not straight lines), so an arm held close to the body still
 * binds to the arm and not to the torso it nearly touches; joints blend over about 3.5% of the body's height.
 *
 * <p>{@link #deform} places the vertices for a target pose: each part's bone carries its rest segment onto the target's
 * (turned and stretched along the bone; the torso also narrows as the shoulders and hips come closer when the body
 * turns), and each vertex goes to the weighted sum of where its parts take it (linear-blend skinning).
 */
public final class Rig {

    /** Mask values above this are the character. */
    static final float INSIDE = 0.05f;
    /** Finest and coarsest cell side in pixels, and the cells per body height aimed at. */
    static final int MIN_CELL = 3;
    static final int MAX_CELL = 32;
    static final double CELLS_PER_BODY = 48;
    /** Most vertices (bounds memory and time for huge masks). */
    static final int MAX_VERTICES = 200_000;
    /** Width of the blend between parts, as a fraction of the body's height. */
    static final double BLEND = 0.035;

    private static final Part[] PARTS = Part.values();

    final int width;
    final int height;
    final int cell;
    /** Rest positions of the vertices. */
    final float[] vx;
    final float[] vy;
    /** Three vertex indices per triangle, back to front. */
    final int[] triangles;
    /** Per vertex, per part. */
    final float[] weights;
    private final double[][] restPoints;
    private final double restWidth;
    private final boolean[] partLive = new boolean[PARTS.length];

    private Rig(int width, int height, int cell, float[] vx, float[] vy, int[] triangles, float[] weights, double[][] restPoints) {
        this.width = width;
        this.height = height;
        this.cell = cell;
        this.vx = vx;
        this.vy = vy;
        this.triangles = triangles;
        this.weights = weights;
        this.restPoints = restPoints;
        this.restWidth = torsoWidth(restPoints);
        for (Part p : PARTS) {
            partLive[p.ordinal()] = Skeleton2d.length(restPoints, p.bone) > 1e-6;
        }
    }

    /**
     * Builds the rig.
     *
     * @param alpha character mask, {@code width * height} values in [0, 1]
     * @param rest  the character's rest pose on that picture (shoulders and hips seen)
     * @throws IllegalArgumentException when the mask shows no character
     */
    public static Rig build(float[] alpha, int width, int height, Pose rest) {
        boolean[] seen = new boolean[Skeleton2d.POINTS];
        double[][] pts = Skeleton2d.points(rest, Retargeter.MIN_SCORE, seen);
        double body = bodyHeight(pts);
        int cell = (int) Math.max(MIN_CELL, Math.min(MAX_CELL, Math.round(body / CELLS_PER_BODY)));
        while ((long) (width / cell + 2) * (height / cell + 2) > MAX_VERTICES) {
            cell++;
        }
        int cw = (width + cell - 1) / cell;
        int ch = (height + cell - 1) / cell;
        boolean[] in = new boolean[cw * ch];
        for (int y = 0; y < height; y++) {
            int row = (y / cell) * cw;
            int base = y * width;
            for (int x = 0; x < width; x++) {
                if (alpha[base + x] > INSIDE) {
                    in[row + x / cell] = true;
                }
            }
        }
        boolean[] grown = in.clone();
        for (int j = 0; j < ch; j++) {
            for (int i = 0; i < cw; i++) {
                if (in[j * cw + i]) {
                    for (int dj = -1; dj <= 1; dj++) {
                        for (int di = -1; di <= 1; di++) {
                            int ii = i + di;
                            int jj = j + dj;
                            if (ii >= 0 && jj >= 0 && ii < cw && jj < ch) {
                                grown[jj * cw + ii] = true;
                            }
                        }
                    }
                }
            }
        }
        int nw = cw + 1;
        int[] index = new int[nw * (ch + 1)];
        Arrays.fill(index, -1);
        List<int[]> tris = new ArrayList<>();
        int count = 0;
        float[] vx = new float[nw * (ch + 1)];
        float[] vy = new float[nw * (ch + 1)];
        for (int j = 0; j < ch; j++) {
            for (int i = 0; i < cw; i++) {
                if (!grown[j * cw + i]) {
                    continue;
                }
                int[] c = new int[4];
                int k = 0;
                for (int[] d : new int[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}}) {
                    int n = (j + d[1]) * nw + i + d[0];
                    if (index[n] < 0) {
                        index[n] = count;
                        vx[count] = (i + d[0]) * cell;
                        vy[count] = (j + d[1]) * cell;
                        count++;
                    }
                    c[k++] = index[n];
                }
                tris.add(new int[] {c[0], c[1], c[2]});
                tris.add(new int[] {c[0], c[2], c[3]});
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the mask shows no character (no pixel above " + INSIDE + ")");
        }
        vx = Arrays.copyOf(vx, count);
        vy = Arrays.copyOf(vy, count);
        float[] weights = weights(vx, vy, tris, solid(alpha, width, height, vx, vy), pts, body, cell);
        int[] order = layered(tris, weights);
        return new Rig(width, height, cell, vx, vy, order, weights, pts);
    }

    static double bodyHeight(double[][] pts) {
        double left = Skeleton2d.length(pts, Bone.LEFT_THIGH) + Skeleton2d.length(pts, Bone.LEFT_SHIN);
        double right = Skeleton2d.length(pts, Bone.RIGHT_THIGH) + Skeleton2d.length(pts, Bone.RIGHT_SHIN);
        return Math.max(8, Skeleton2d.length(pts, Bone.SPINE) + Math.max(left, right));
    }

    private static double torsoWidth(double[][] p) {
        return (dist(p[Joint.LEFT_SHOULDER.ordinal()], p[Joint.RIGHT_SHOULDER.ordinal()])
                + dist(p[Joint.LEFT_HIP.ordinal()], p[Joint.RIGHT_HIP.ordinal()])) / 2;
    }

    private static double dist(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    /** The part's bone as a capsule: its segment (extended for hands, feet and skull) and a radius. */
    private static double[] capsule(Part p, double[][] pts) {
        double[] s = pts[Skeleton2d.start(p.bone)];
        double[] e = pts[Skeleton2d.end(p.bone)];
        double dx = e[0] - s[0];
        double dy = e[1] - s[1];
        // the torso's bone is its spine; its flesh reaches to about a third of its width either side
        double radius = p == Part.TORSO ? 0.4 * torsoWidth(pts) : 0;
        return new double[] {s[0] - p.before * dx, s[1] - p.before * dy, e[0] + p.beyond * dx, e[1] + p.beyond * dy, radius};
    }

    private static double toCapsule(double[] c, double x, double y) {
        double dx = c[2] - c[0];
        double dy = c[3] - c[1];
        double l2 = dx * dx + dy * dy;
        double t = l2 < 1e-12 ? 0 : Math.max(0, Math.min(1, ((x - c[0]) * dx + (y - c[1]) * dy) / l2));
        return Math.max(0, Math.hypot(x - (c[0] + t * dx), y - (c[1] + t * dy)) - c[4]);
    }

    /** Mask values above this are solid enough to carry a geodesic path (so a path cannot hop a thin gap). */
    static final float SOLID = 0.5f;

    /**
     * The mask at each vertex. Geodesic paths run only between solid vertices: two solid vertices on either side of a gap
     * wider than a cell's diagonal are never neighbours, so an arm held near the body is not bound to it.
     */
    private static float[] solid(float[] alpha, int width, int height, float[] vx, float[] vy) {
        float[] a = new float[vx.length];
        for (int v = 0; v < vx.length; v++) {
            a[v] = sample(alpha, width, height, vx[v], vy[v]);
        }
        return a;
    }

    private static float sample(float[] alpha, int width, int height, double x, double y) {
        int ix = (int) Math.max(0, Math.min(width - 1, Math.round(x)));
        int iy = (int) Math.max(0, Math.min(height - 1, Math.round(y)));
        return alpha[iy * width + ix];
    }

    /**
     * Geodesic distances to every part through the mesh's edges inside the silhouette, then Gaussian fall-off from the
     * nearest part.
     */
    private static float[] weights(float[] vx, float[] vy, List<int[]> tris, float[] vertexAlpha, double[][] pts, double body, int cell) {
        int n = vx.length;
        int[][] adj = adjacency(n, tris);
        boolean[] solid = new boolean[n];
        for (int v = 0; v < n; v++) {
            solid[v] = vertexAlpha[v] > SOLID;
        }
        double sigma = Math.max(cell, BLEND * body);
        double[][] dist = new double[PARTS.length][];
        boolean[] live = new boolean[PARTS.length];
        for (Part p : PARTS) {
            live[p.ordinal()] = Skeleton2d.length(pts, p.bone) > 1e-6;
            if (!live[p.ordinal()]) {
                continue;
            }
            double[] c = capsule(p, pts);
            double[] d0 = new double[n];
            for (int v = 0; v < n; v++) {
                d0[v] = toCapsule(c, vx[v], vy[v]);
            }
            dist[p.ordinal()] = geodesic(d0, adj, solid, vx, vy, cell, 10 * body);
        }
        float[] w = new float[n * PARTS.length];
        for (int v = 0; v < n; v++) {
            double min = Double.MAX_VALUE;
            for (Part p : PARTS) {
                if (live[p.ordinal()]) {
                    min = Math.min(min, dist[p.ordinal()][v]);
                }
            }
            double sum = 0;
            for (Part p : PARTS) {
                if (live[p.ordinal()]) {
                    double z = (dist[p.ordinal()][v] - min) / sigma;
                    double wt = z < 2.5 ? Math.exp(-z * z) : 0;
                    w[v * PARTS.length + p.ordinal()] = (float) wt;
                    sum += wt;
                }
            }
            for (Part p : PARTS) {
                w[v * PARTS.length + p.ordinal()] /= (float) sum;
            }
        }
        return w;
    }

    private static int[][] adjacency(int n, List<int[]> tris) {
        int[] deg = new int[n];
        for (int[] t : tris) {
            for (int k = 0; k < 3; k++) {
                deg[t[k]] += 2;
            }
        }
        int[][] adj = new int[n][];
        for (int v = 0; v < n; v++) {
            adj[v] = new int[deg[v]];
        }
        int[] fill = new int[n];
        for (int[] t : tris) {
            for (int k = 0; k < 3; k++) {
                int a = t[k];
                adj[a][fill[a]++] = t[(k + 1) % 3];
                adj[a][fill[a]++] = t[(k + 2) % 3];
            }
        }
        return adj;
    }

    /**
     * Dijkstra from the solid vertices inside or next to the capsule ({@code d0 <= cell}), over mesh edges between solid
     * vertices. A vertex of the soft edge or the margin takes the distance of its nearest solid neighbour plus the step;
     * vertices no path reaches (another island of the mask) keep their straight distance plus {@code far}.
     */
    private static double[] geodesic(double[] d0, int[][] adj, boolean[] solid, float[] vx, float[] vy, int cell, double far) {
        int n = d0.length;
        double[] d = new double[n];
        Arrays.fill(d, Double.MAX_VALUE);
        PriorityQueue<double[]> queue = new PriorityQueue<>(Comparator.comparingDouble(a -> a[0]));
        double min = Double.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            if (solid[v]) {
                min = Math.min(min, d0[v]);
            }
        }
        double seed = Math.max(cell, min + cell);
        for (int v = 0; v < n; v++) {
            if (solid[v] && d0[v] <= seed) {
                d[v] = d0[v];
                queue.add(new double[] {d0[v], v});
            }
        }
        while (!queue.isEmpty()) {
            double[] top = queue.poll();
            int v = (int) top[1];
            if (top[0] > d[v]) {
                continue;
            }
            for (int u : adj[v]) {
                if (!solid[u]) {
                    continue;
                }
                double nd = d[v] + Math.hypot(vx[u] - vx[v], vy[u] - vy[v]);
                if (nd < d[u]) {
                    d[u] = nd;
                    queue.add(new double[] {nd, u});
                }
            }
        }
        double[] out = d.clone();
        for (int v = 0; v < n; v++) {
            if (!solid[v]) {
                double best = Double.MAX_VALUE;
                for (int u : adj[v]) {
                    if (solid[u] && d[u] < Double.MAX_VALUE) {
                        best = Math.min(best, d[u] + Math.hypot(vx[u] - vx[v], vy[u] - vy[v]));
                    }
                }
                out[v] = best;
            }
            if (out[v] == Double.MAX_VALUE) {
                out[v] = d0[v] + far;
            }
        }
        return out;
    }

    /** Triangles as a flat index array, sorted back to front by the layer of the part that weighs most on them. */
    private static int[] layered(List<int[]> tris, float[] w) {
        int[] layer = new int[tris.size()];
        Integer[] order = new Integer[tris.size()];
        for (int t = 0; t < tris.size(); t++) {
            order[t] = t;
            double best = -1;
            for (Part p : PARTS) {
                double s = 0;
                for (int v : tris.get(t)) {
                    s += w[v * PARTS.length + p.ordinal()];
                }
                if (s > best) {
                    best = s;
                    layer[t] = p.layer;
                }
            }
        }
        Arrays.sort(order, Comparator.comparingInt(t -> layer[t]));
        int[] flat = new int[tris.size() * 3];
        for (int k = 0; k < order.length; k++) {
            int[] t = tris.get(order[k]);
            flat[3 * k] = t[0];
            flat[3 * k + 1] = t[1];
            flat[3 * k + 2] = t[2];
        }
        return flat;
    }

    /** Rest positions of the vertices on the still, {@code x, y} interleaved. */
    public float[] restPositions() {
        float[] out = new float[2 * vx.length];
        for (int v = 0; v < vx.length; v++) {
            out[2 * v] = vx[v];
            out[2 * v + 1] = vy[v];
        }
        return out;
    }

    /** Three vertex indices per triangle, back to front (a copy). */
    public int[] triangles() {
        return triangles.clone();
    }

    /** Vertices in the mesh. */
    public int vertices() {
        return vx.length;
    }

    /** Triangles in the mesh. */
    public int triangleCount() {
        return triangles.length / 3;
    }

    /** Side of a mesh cell in pixels. */
    public int cell() {
        return cell;
    }

    /** The part transforms that carry the rest pose onto {@code target}. */
    Affine[] transforms(Pose target) {
        boolean[] seen = new boolean[Skeleton2d.POINTS];
        double[][] q = Skeleton2d.points(target, 0f, seen);
        double across = Math.max(0.4, Math.min(1.2, torsoWidth(q) / Math.max(1e-6, restWidth)));
        Affine[] a = new Affine[PARTS.length];
        for (Part p : PARTS) {
            if (!partLive[p.ordinal()]) {
                a[p.ordinal()] = Affine.IDENTITY;
                continue;
            }
            double[] p0 = restPoints[Skeleton2d.start(p.bone)];
            double[] p1 = restPoints[Skeleton2d.end(p.bone)];
            double[] q0 = q[Skeleton2d.start(p.bone)];
            double[] q1 = q[Skeleton2d.end(p.bone)];
            a[p.ordinal()] = switch (p) {
                case TORSO -> Affine.bone(p0, p1, q0, q1, Double.NaN, across);
                case HEAD -> Affine.bone(p0, p1, q0, q1, 1, 1); // a face is not stretched
                default -> Affine.bone(p0, p1, q0, q1, Double.NaN, 1);
            };
        }
        return a;
    }

    /**
     * Vertex positions for a target pose (linear-blend skinning).
     *
     * @return {@code x, y} per vertex
     */
    public float[] deform(Pose target) {
        Affine[] a = transforms(target);
        int n = vx.length;
        float[] out = new float[2 * n];
        for (int v = 0; v < n; v++) {
            double x = 0;
            double y = 0;
            for (int p = 0; p < PARTS.length; p++) {
                float w = weights[v * PARTS.length + p];
                if (w > 0) {
                    x += w * a[p].x(vx[v], vy[v]);
                    y += w * a[p].y(vx[v], vy[v]);
                }
            }
            out[2 * v] = (float) x;
            out[2 * v + 1] = (float) y;
        }
        return out;
    }

    /** The weight of {@code part} at vertex {@code v} (for tests and the panel). */
    public float weight(int v, Part part) {
        return weights[v * PARTS.length + part.ordinal()];
    }
}
