package org.kinora.inference.internal.store;

import java.util.regex.Pattern;
import org.kinora.core.inference.ModelStoreException;

/** Model ids: {@code [a-z0-9][a-z0-9._-]{0,63}}, so an id is always a safe folder name. */
public final class ModelIds {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ModelIds() {
    }

    /** True when {@code id} is a valid model id. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns {@code id} when valid, else throws a message naming the rule. */
    public static String check(String id) throws ModelStoreException {
        if (!valid(id)) {
            throw new ModelStoreException("bad model id '" + id + "': use 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        return id;
    }
}
