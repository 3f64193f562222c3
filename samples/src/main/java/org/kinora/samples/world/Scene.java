package org.kinora.samples.world;

import java.util.Objects;

/**
 * One clip of the world: what the object is, where it starts and how it moves, over which backdrop and camera.
 *
 * @param shape     the object's outline
 * @param hue       the object's colour
 * @param size      the object's size relative to the frame's shorter side
 * @param direction where the object moves
 * @param backdrop  the background
 * @param camera    what the camera does to the background
 * @param startX    the object's centre at t = 0, as a fraction of the frame's width (0 left, 1 right)
 * @param startY    the object's centre at t = 0, as a fraction of the frame's height (0 top, 1 bottom)
 * @param speed     frame widths per second for LEFT/RIGHT, frame heights per second for UP/DOWN; not negative
 */
public record Scene(Shape shape, Hue hue, Size size, Direction direction, Backdrop backdrop, Camera camera,
                    double startX, double startY, double speed) {

    /** Checks the fields: none null, the start within [-1, 2] of the frame and the speed within [0, 10]. */
    public Scene {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(hue, "hue");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(backdrop, "backdrop");
        Objects.requireNonNull(camera, "camera");
        if (!(startX >= -1 && startX <= 2) || !(startY >= -1 && startY <= 2)) {
            throw new IllegalArgumentException("scene start must be a frame fraction in [-1, 2], got (" + startX + ", "
                    + startY + ")");
        }
        if (!(speed >= 0 && speed <= 10)) {
            throw new IllegalArgumentException("scene speed must be 0..10 frames per second, got " + speed);
        }
    }

    /** @return the object's centre x at time {@code t} seconds, as a fraction of the frame's width */
    public double x(double t) {
        return startX + direction.dx() * speed * t;
    }

    /** @return the object's centre y at time {@code t} seconds, as a fraction of the frame's height */
    public double y(double t) {
        return startY + direction.dy() * speed * t;
    }
}
