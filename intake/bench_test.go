package intake

import "testing"

// BenchmarkParseSeed times reading the seed's text.
func BenchmarkParseSeed(b *testing.B) {
	text := readSeed(b)
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}
