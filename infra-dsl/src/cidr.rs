//! IPv4 CIDR blocks: parsing with precise errors, containment and overlap.

use std::fmt;

/// An IPv4 block: its first address and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The network address.
    pub address: u32,
    /// The prefix length (0 to 32).
    pub prefix: u8,
}

/// Why a string is not a CIDR block.
#[derive(Debug, PartialEq, Eq)]
pub enum CidrError {
    /// Not `a.b.c.d/n`.
    Syntax,
    /// An octet above 255.
    Octet(String),
    /// A prefix above 32.
    Prefix(String),
    /// Bits set after the prefix; carries the block it should be.
    HostBits(Cidr),
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax => write!(f, "expected an IPv4 block such as `10.0.1.0/24`"),
            Self::Octet(o) => write!(f, "`{o}` is not an octet (0 to 255)"),
            Self::Prefix(p) => write!(f, "`/{p}` is not a prefix length (0 to 32)"),
            Self::HostBits(c) => write!(f, "host bits are set; the block is `{c}`"),
        }
    }
}

impl Cidr {
    /// Parses `a.b.c.d/n`, refusing host bits.
    pub fn parse(text: &str) -> Result<Self, CidrError> {
        let (address, prefix) = text.split_once('/').ok_or(CidrError::Syntax)?;
        let octets: Vec<&str> = address.split('.').collect();
        if octets.len() != 4 {
            return Err(CidrError::Syntax);
        }
        let mut value = 0u32;
        for octet in octets {
            // Digits only, and no leading zero: `010` reads as octal in some tools.
            if octet.is_empty()
                || octet.len() > 3
                || !octet.bytes().all(|b| b.is_ascii_digit())
                || (octet.len() > 1 && octet.starts_with('0'))
            {
                return Err(CidrError::Syntax);
            }
            let n: u32 = octet.parse().map_err(|_| CidrError::Syntax)?;
            if n > 255 {
                return Err(CidrError::Octet(octet.to_owned()));
            }
            value = (value << 8) | n;
        }
        if prefix.is_empty()
            || prefix.len() > 2
            || !prefix.bytes().all(|b| b.is_ascii_digit())
            || (prefix.len() > 1 && prefix.starts_with('0'))
        {
            return Err(CidrError::Syntax);
        }
        let prefix_len: u8 = prefix.parse().map_err(|_| CidrError::Syntax)?;
        if prefix_len > 32 {
            return Err(CidrError::Prefix(prefix.to_owned()));
        }
        let block = Self {
            address: value & Self::mask(prefix_len),
            prefix: prefix_len,
        };
        if block.address != value {
            return Err(CidrError::HostBits(block));
        }
        Ok(block)
    }

    fn mask(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix))
        }
    }

    /// The last address of the block.
    pub fn last(self) -> u32 {
        self.address | !Self::mask(self.prefix)
    }

    /// Whether `other` lies entirely inside this block.
    pub fn contains(self, other: Cidr) -> bool {
        other.prefix >= self.prefix && (other.address & Self::mask(self.prefix)) == self.address
    }

    /// Whether the two blocks share an address.
    pub fn overlaps(self, other: Cidr) -> bool {
        self.address <= other.last() && other.address <= self.last()
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.address;
        write!(
            f,
            "{}.{}.{}.{}/{}",
            a >> 24,
            (a >> 16) & 255,
            (a >> 8) & 255,
            a & 255,
            self.prefix
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        let vpc = Cidr::parse("10.0.0.0/16").expect("valid");
        let a = Cidr::parse("10.0.1.0/24").expect("valid");
        let b = Cidr::parse("10.0.0.0/23").expect("valid");
        assert!(vpc.contains(a) && vpc.contains(b));
        assert!(a.overlaps(b) && b.overlaps(a));
        assert!(!Cidr::parse("10.1.0.0/24").expect("valid").overlaps(vpc));
        assert_eq!(Cidr::parse("10.0.1.5/24"), Err(CidrError::HostBits(a)));
        assert_eq!(
            Cidr::parse("10.0.300.0/24"),
            Err(CidrError::Octet("300".into()))
        );
        assert_eq!(
            Cidr::parse("10.0.0.0/33"),
            Err(CidrError::Prefix("33".into()))
        );
        assert_eq!(Cidr::parse("10.0.0/24"), Err(CidrError::Syntax));
        assert_eq!(Cidr::parse("10.0.01.0/24"), Err(CidrError::Syntax));
        assert_eq!(Cidr::parse("10.0.1.0/024"), Err(CidrError::Syntax));
        assert_eq!(a.to_string(), "10.0.1.0/24");
    }
}
