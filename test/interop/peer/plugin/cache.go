package main

import (
	"sort"
	"sync"
	"time"
)

// points of one series, in time order.
type points struct {
	times  []time.Time
	values []float64
}

type entry struct {
	start, end time.Time
	points     *points
}

// pointCache keeps the fetched points of each series and serves any range inside them; the
// peer only needs completed buckets, so entries never expire.
type pointCache struct {
	mu      sync.RWMutex
	entries map[string]entry
}

func newPointCache() *pointCache { return &pointCache{entries: map[string]entry{}} }

// get returns the points of [start, end) when the cache covers that range, else nil.
func (c *pointCache) get(key string, start, end time.Time) (*points, string) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || start.Before(e.start) || end.After(e.end) {
		return nil, ""
	}
	from := sort.Search(len(e.points.times), func(i int) bool { return !e.points.times[i].Before(start) })
	to := sort.Search(len(e.points.times), func(i int) bool { return !e.points.times[i].Before(end) })
	return &points{times: e.points.times[from:to], values: e.points.values[from:to]}, "cache"
}

func (c *pointCache) put(key string, start, end time.Time, p *points) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = entry{start: start, end: end, points: p}
}
