package com.microdrama.support;

import com.microdrama.core.storage.ObjectStorage;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.util.ArrayList;
import java.util.List;

/** What object storage holds, read with the app's own client. */
public final class Storage {

    private Storage() {
    }

    public static List<String> keys(ObjectStorage storage, String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : storage.client().listObjects(ListObjectsArgs.builder().bucket(storage.bucket())
                    .prefix(prefix).recursive(true).build())) {
                keys.add(r.get().objectName());
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] read(ObjectStorage storage, String key) {
        try (var in = storage.client().getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static int pendingMultiparts(ObjectStorage storage, String prefix) {
        try {
            return storage.asyncClient().listMultipartUploadsAsync(storage.bucket(), null, null, null, null, 1000,
                    prefix, null, null, null).get().result().uploads().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
