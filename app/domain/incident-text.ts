// Incidents hold no patient identifiers (domain reference: hazard logs are not patient records). We
// cannot prove text is free of them, but an NHS number (10 digits passing the modulus 11 check,
// spaced or not) is a clear sign, and is refused with a message saying why.
export function looksLikeNhsNumber(text: string): boolean {
  for (const match of text.matchAll(/(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)/g)) {
    const digits = (match[1] + match[2] + match[3]).split("").map(Number);
    const sum = digits.slice(0, 9).reduce((acc, d, i) => acc + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    const expected = check === 11 ? 0 : check;
    if (expected !== 10 && expected === digits[9]) return true;
  }
  return false;
}
