package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmsUpLinearlyThenFollowsHalfACosineToTheMinimum() {
        LearningRateSchedule schedule = new LearningRateSchedule(1.0, 4, 14, 0.1);
        assertEquals(0.2, schedule.at(0), 1e-12);
        assertEquals(0.8, schedule.at(3), 1e-12);
        assertEquals(1.0, schedule.at(4), 1e-12);
        assertEquals(0.55, schedule.at(9), 1e-12, "half way down: (1 + 0.1) / 2");
        assertEquals(0.1, schedule.at(14), 1e-12);
        assertEquals(0.1, schedule.at(50), 1e-12);
    }

    @Test
    void staysAtThePeakAfterWarmUpWhenTheRunHasNoEnd() {
        LearningRateSchedule schedule = new LearningRateSchedule(3e-4, 2, 0, 0.1);
        assertEquals(1e-4, schedule.at(0), 1e-12);
        assertEquals(3e-4, schedule.at(1000), 1e-12);
    }

    @Test
    void automaticWarmUpIsFivePercentOfTheRun() {
        TrainSettings config = TrainSettings.of(1e-5, 32, 1, -1, -1, 50, 0, 4096);
        assertEquals(10, config.schedule(200).warmup());
        assertEquals(1, config.schedule(10).warmup());
        assertEquals(20, config.schedule(0).warmup());
    }
}
