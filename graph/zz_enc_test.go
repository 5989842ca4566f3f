package graph

import "testing"

func BenchmarkCursorEncode(b *testing.B) {
	p := position{upstream: "cD0yMDI1LTAxLTAxKzAwJTNBMDAlM0EwMC4wMDAwMDAlMkIwMCUzQTAw", skip: 17}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.encode()
	}
}
