module github.com/kommun/beslutsgang

go 1.26.8
