//! A bucket's extra statements are statement calls on readers of the right type: a bucket
//! is not a CloudFront distribution, a misspelt statement is named by rustc, and a value
//! that is not a list of statements is refused.

use infra_macros::stack;

stack! {
    pub stack Site { region: "us-east-1" }
    bucket logs { encryption: s3_managed }
    bucket content { encryption: s3_managed, statements: [cloudfront_read(logs)] }
    bucket assets { encryption: s3_managed, statements: [cloudfront_reed(logs)] }
    bucket media { encryption: s3_managed, statements: logs }
}

fn main() {}
