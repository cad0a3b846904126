package org.tamer.gateway.health;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tamer.gateway.pipeline.WorkLoop;

/**
 * The gateway's background loops (diagnosis, delivery, model watch, store depth), registered as they start, so
 * that readiness can report a loop that is no longer running: a gateway whose diagnosis threads died would
 * otherwise keep accepting messages it never diagnoses.
 */
@Singleton
public final class WorkerLoops {

    private final List<WorkLoop> loops = new CopyOnWriteArrayList<>();

    public WorkLoop register(WorkLoop loop) {
        loops.add(loop);
        return loop;
    }

    /** The names of registered loops that are not running, in registration order. */
    public List<String> notRunning() {
        return loops.stream().filter(l -> !l.isRunning()).map(WorkLoop::name).toList();
    }

    public int count() {
        return loops.size();
    }
}
