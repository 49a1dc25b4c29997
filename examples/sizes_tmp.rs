fn main() {
    use gigawatt::figure::*;
    println!(
        "Qualifier {} Unit {} Interval {} DateKind {} Status {}",
        std::mem::size_of::<Qualifier>(),
        std::mem::size_of::<Unit>(),
        std::mem::size_of::<gigawatt::figure::arith::Interval>(),
        std::mem::size_of::<gigawatt::figure::date::DateKind>(),
        std::mem::size_of::<gigawatt::data::model::Status>()
    );
}
