package sn37.miner.hub;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * A byte range of a file as a request body that reopens the file on every write, so a retry resends the same bytes
 * (huggingface_hub's SliceFileObj and http_backoff's seek-back). No content type: presigned URLs may sign headers.
 */
final class FileSliceBody extends RequestBody {
    private final Path file;
    private final long offset;
    private final long length;

    FileSliceBody(Path file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public MediaType contentType() {
        return null;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(offset);
            try (Source source = Okio.source(Channels.newInputStream(channel))) {
                sink.write(source, length);
            }
        }
    }
}
