package main

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// result is one scenario's measurement.
type result struct {
	name     string
	clients  int
	n        int // requests that succeeded in the measured window
	errs     int
	window   time.Duration
	lat      []time.Duration // sorted
	note     string
	firstErr error
}

func (r result) rate() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.n) / r.window.Seconds()
}

// pct is the p-th percentile latency (p in 0..100).
func (r result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(float64(len(r.lat)-1) * p / 100)
	return r.lat[i]
}

// limits bound every scenario: a warm-up that is not counted, then at most
// max requests or dur, whichever ends first.
type limits struct {
	warmup, dur time.Duration
	max         int
}

// drive runs clients goroutines, each calling do with its number until the
// limits end, and measures what completes after the warm-up.
func drive(name string, clients int, lim limits, do func(client int) error) result {
	start := time.Now()
	measureFrom := start.Add(lim.warmup)
	end := measureFrom.Add(lim.dur)
	var issued atomic.Int64
	var mu sync.Mutex
	res := result{name: name, clients: clients}
	var last time.Time
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			var firstErr error
			var done time.Time
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				counted := !t0.Before(measureFrom)
				if counted && issued.Add(1) > int64(lim.max) {
					break
				}
				err := do(c)
				t1 := time.Now()
				if !counted {
					continue
				}
				done = t1
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				lat = append(lat, t1.Sub(t0))
			}
			mu.Lock()
			defer mu.Unlock()
			res.lat = append(res.lat, lat...)
			res.errs += errs
			if res.firstErr == nil {
				res.firstErr = firstErr
			}
			if done.After(last) {
				last = done
			}
		}()
	}
	wg.Wait()
	slices.Sort(res.lat)
	res.n = len(res.lat)
	if !last.IsZero() {
		res.window = last.Sub(measureFrom)
	}
	return res
}

// httpClient is a keep-alive client for one loopback server.
type httpClient struct {
	hc   *fasthttp.HostClient
	base string // http://127.0.0.1:port
}

func newHTTPClient(addr string, conns int) *httpClient {
	return &httpClient{hc: &fasthttp.HostClient{Addr: addr, MaxConns: conns, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
		MaxResponseBodySize: 64 << 20}, base: "http://" + addr}
}

// do sends one request and wants status want; body, when set, gets the response body.
func (c *httpClient) do(method, path, token string, reqBody []byte, want int, body *[]byte) error {
	return c.doLink(method, path, token, reqBody, want, body, nil)
}

// doLink is do that also hands back the response's Link header.
func (c *httpClient) doLink(method, path, token string, reqBody []byte, want int, body *[]byte, link *string) error {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(c.base + path)
	req.Header.SetMethod(method)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if reqBody != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(reqBody)
	}
	if err := c.hc.DoTimeout(req, resp, time.Minute); err != nil {
		return err
	}
	if resp.StatusCode() != want {
		b := resp.Body()
		return fmt.Errorf("%s %s: %d %.200s", method, path, resp.StatusCode(), b)
	}
	if body != nil {
		*body = append((*body)[:0], resp.Body()...)
	}
	if link != nil {
		*link = string(resp.Header.Peek("Link"))
	}
	return nil
}
