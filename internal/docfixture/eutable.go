package docfixture

// EUTable is the seed report's table of EU funds (ASN-2019-17886, Ärendet)
// as a case's text stores a table: a GFM pipe table under its caption line,
// the total row last. Its amounts add up to the total, 4 029 253 SEK.
const EUTable = `Utbetalda EU-medel 2019
| Projektnamn | EU-fond | Utbetalt till ASF 2019 | Bidrar till KF-mål |
| --- | --- | ---: | ---: |
| Hela familjen | ESF | 1 680 158 SEK | 2 |
| Malmö Innovationsarena | ERUF | 214 598 SEK | 8 |
| Malmö växer | ERUF | 19 110 SEK | 8 |
| Sluta skjut/GVI | IFS | 0 SEK | 6 |
| Vägen in | ESF | 1 469 932 SEK | 2 |
| Yalla Sofielund | ESF | 215 824 SEK | 2 |
| TAMU | ESF | 257 345 SEK | 2 |
| Konsekvenspedagogisk vägledning/KRAMI | Erasmus+ | 172 286 SEK | 2 |
| TOTALT | | 4 029 253 SEK | |`
